include:
  - .passwords
  - .file
