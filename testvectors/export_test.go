package testvectors

// Parse, the closed sets and the minimum counts, for the tests of
// testvectors_test.
var (
	Parse            = parse
	BundleAcceptance = bundleAcceptance
)

const (
	MinCount      = minCount
	MinIDCount    = minIDCount
	MinTrustCount = minTrustCount
)
