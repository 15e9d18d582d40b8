"""newsbot: a Telegram bot that follows news feeds, reads each article and pushes it."""

# The installed distribution's metadata is the first source; this is for a source checkout.
__version__ = "0.1.0"
