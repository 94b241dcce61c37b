"""The year's report of a cooperative, and of a school's cooperatives."""
