"""The class message box: pupils post, the educator moderates, the class supports proposals."""
