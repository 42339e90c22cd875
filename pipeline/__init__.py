"""Pure normalization: source payloads -> schema v1 postings. No Scrapy, no database, no network."""
