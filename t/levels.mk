# t/levels.mk
