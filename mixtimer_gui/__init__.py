"""MixTimer GUI: a desktop maintenance planner speaking the MixTimer v2 action API."""

__version__ = "0.1.0"
