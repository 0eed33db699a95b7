package metrics

import "errors"

// errProcFormat: a /proc file does not read as proc(5) describes it. The
// process collector leaves the families it would have given out of the
// scrape.
var errProcFormat = errors.New("metrics: unexpected /proc format")
