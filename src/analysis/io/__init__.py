"""Reading corpora: formats, encodings, dates, scraped pages, the articles table."""
