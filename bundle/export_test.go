package bundle

// At returns entry i of the list, for the tests of package bundle_test.
func (l HashList) At(i int) Entry { return Entry(l.b[i*HashSize : (i+1)*HashSize]) }

// Bytes returns the list in its wire form, for the tests.
func (l HashList) Bytes() []byte { return l.b }
