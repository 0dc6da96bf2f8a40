include:
  - .file_sd
