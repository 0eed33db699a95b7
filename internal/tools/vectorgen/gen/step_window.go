package gen

import (
	"time"
)

// windowCases returns the vectors of one part of SPEC.md: validity window (SPEC.md §7, §8 step 10).
func windowCases() (vs []vector) {
	k1 := Key(1)
	add := func(v vector) { vs = append(vs, v) }
	exp0 := iat0.Add(week)
	{
		v := build("valid_at_iat", "Validation clock exactly at iat: valid (the window includes iat).")
		v.code(k1, base(v.name).payload())
		v.now = iat0
		add(v.expect(valid()))
	}
	{
		v := build("valid_at_exp", "Validation clock exactly at exp: valid (a code is valid while now <= exp).")
		v.code(k1, base(v.name).payload())
		v.now = exp0
		add(v.expect(valid()))
	}
	{
		v := build("valid_at_exp_fractional_now", "Validation clock 0.999 s after exp. Times are compared in whole seconds, "+
			"the clock truncated, so now = exp and the code is valid.")
		v.code(k1, base(v.name).payload())
		v.now = exp0.Add(999 * time.Millisecond)
		add(v.expect(valid()))
	}
	{
		v := build("expired_by_one_second", "Validation clock one second after exp: expired.")
		v.code(k1, base(v.name).payload())
		v.now = exp0.Add(time.Second)
		add(v.expect(windowFails("expired")))
	}
	{
		v := build("expired_after_7_days_1_minute", "A code issued 7 days and 1 minute before the validation clock, "+
			"for the full 7 days: expired one minute ago.")
		v.code(k1, base(v.name).issuedAt(now0.Add(-week-time.Minute), week).payload())
		add(v.expect(windowFails("expired")))
	}
	{
		v := build("valid_iat_in_future_within_skew", "iat is 60 s after the validation clock (the issuer's clock runs ahead); "+
			"the 300 s skew tolerance covers it: valid.")
		v.code(k1, base(v.name).issuedAt(now0.Add(60*time.Second), week).payload())
		add(v.expect(valid()))
	}
	{
		v := build("valid_iat_in_future_at_skew", "iat is exactly 300 s (the skew) after the validation clock: valid "+
			"(not yet valid only when iat > now + skew).")
		v.code(k1, base(v.name).issuedAt(now0.Add(300*time.Second), week).payload())
		add(v.expect(valid()))
	}
	{
		v := build("not_yet_valid_beyond_skew", "iat is 301 s after the validation clock, one second beyond the 300 s skew: not yet valid.")
		v.code(k1, base(v.name).issuedAt(now0.Add(301*time.Second), week).payload())
		add(v.expect(windowFails("not_yet_valid")))
	}
	{
		v := build("not_yet_valid_one_hour", "iat is one hour after the validation clock: not yet valid.")
		v.code(k1, base(v.name).issuedAt(now0.Add(time.Hour), week).payload())
		add(v.expect(windowFails("not_yet_valid")))
	}
	{
		v := build("not_yet_valid_zero_skew", "The verifier is configured with no skew tolerance (skew_seconds 0) "+
			"and iat is one second after the validation clock: not yet valid.")
		v.code(k1, base(v.name).issuedAt(now0.Add(time.Second), week).payload())
		v.skew = 0
		add(v.expect(windowFails("not_yet_valid")))
	}
	{
		v := build("valid_short_window", "A code valid for one hour (exp = iat + 3600), checked half-way through: valid. "+
			"Issuers may choose any window up to 7 days.")
		v.code(k1, base(v.name).issuedAt(now0.Add(-30*time.Minute), time.Hour).payload())
		add(v.expect(valid()))
	}
	{
		v := build("window_too_long", "exp - iat is 604801 s, one second more than 7 days, in a correctly signed code; "+
			"the clock is inside the window. The code is refused whatever exp says: window too long.")
		v.code(k1, base(v.name).issuedAt(iat0, week+time.Second).payload())
		add(v.expect(windowFails("window_too_long")))
	}
	return vs
}
