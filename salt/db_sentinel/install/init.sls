include:
  - .modules
  - .packages
  - .bundles
