"""Inter-coder agreement: how far independent coders of the same material agree."""
