"""Staff accounts: sign-in throttling, two-factor sign-in and password reset.

The admin is the only place staff sign in. django-axes counts wrong passwords
(`throttling.py`), django-otp holds each staff member's authenticator app and backup
codes (`views.py` enrols and checks them), and `middleware.py` keeps a staff member who
must use a second factor out of the admin until they have.
"""
