"""S7 pages under /staff-passport/ (urls_staff.py) for senior portal administrators."""
