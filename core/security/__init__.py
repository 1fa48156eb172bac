"""Security pieces shared by the plugins that talk to national services: credentials from
PKCS#12 files, a private test PKI, and signed SAML assertions (the INSi PS assertion, the VIHF)."""
