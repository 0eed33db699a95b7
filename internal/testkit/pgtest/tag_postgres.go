//go:build postgres

package pgtest

// Tagged is true in a run built with -tags postgres.
const Tagged = true
