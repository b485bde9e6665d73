# t/unit.mk
