# t/escape.mk
