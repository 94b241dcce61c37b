"""The treasury blueprint: a class cooperative's money in and out, its report and export."""
