# nothing to build here
