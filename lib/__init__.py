"""minzheng-compare: turn Chinese civil-affairs (民政) work reports into clean, comparable tables."""

__version__ = "0.1.0"
