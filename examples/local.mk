# examples: policies and agents for the common cases
EXTRA_DIST += \
	examples/report-generator/agent.py \
	examples/report-generator/policy.conf \
	examples/report-generator/run.sh
EXTRA_DIST += \
	examples/purge/ward-purge.cron \
	examples/purge/ward-purge@.service \
	examples/purge/ward-purge@.timer
