"""Delivery: rendering cards as Telegram HTML and the sender that drains the outbox."""
