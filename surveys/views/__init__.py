"""Survey views: public respondent pages, management pages and file downloads."""
