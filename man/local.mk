# man/: ward(1) and ward.conf(5).
dist_man_MANS += man/ward.1 man/ward.conf.5
