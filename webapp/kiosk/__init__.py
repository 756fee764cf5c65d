"""Kiosk mode: a shared tablet in the staff room where people tap their face, enter a PIN
and log a moment or give kudos as themselves."""
