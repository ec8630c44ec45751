"""The web app: one blueprint per feature (auth, cycles, check-ins, panel, api), security headers, errors."""
