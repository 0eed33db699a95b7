//go:build !unix

package benchcpu

import "time"

// Now returns 0: process CPU time is read only on Unix.
func Now() time.Duration { return 0 }
