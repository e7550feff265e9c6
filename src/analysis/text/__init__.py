"""Arabic text: normalization and segmentation."""
