"""Test oracles: the C core's algorithms again in plain Python, bit for bit
(engine_reference: the scorer, the similar baskets and the day's overlay;
mining_reference: the miner). Hypothesis tests check that the C and these agree;
they are not part of the installed package."""
