include:
  - .unit
