"""claimledger: how well does the published literature support each health claim in your copy?"""

__version__ = "0.1.0"

__all__ = ["__version__"]
