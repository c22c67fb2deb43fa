"""Copy checking: document readers, claim-like sentences, library matching, wording flags. Pure."""
