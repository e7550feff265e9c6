"""Arabic text: normalization, segmentation, tokens, stopwords, document-term counts."""
