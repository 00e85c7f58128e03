"""The machine side of the app: work in a child process under time and memory limits, and password hashing.

Neither reads tables nor knows the data model; the app and the CLI use them. Below every other layer but model.
"""
