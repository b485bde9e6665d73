# completion/: the bash completion of ward, installed as ward in
# $(bashcompletiondir) (configure --with-bash-completion-dir).
if WARD_BASH_COMPLETION
dist_bashcompletion_DATA = completion/ward
else
EXTRA_DIST += completion/ward
endif
