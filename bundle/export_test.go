package bundle

// Test hooks for package bundle_test: the revocation lists and entries that
// the API keeps unexported.

type (
	Entry        = entry
	HashList     = hashList
	IdentityList = identityList
)

const HashSize = hashSize

var (
	NewHashList   = newHashList
	SerialEntry   = serialEntry
	IdentityEntry = identityEntry
	Acceptances   = allAcceptances
	PayloadDigest = payloadDigest
	ParseEnvelope = parseEnvelope
)

// At returns entry i of the list.
func (l hashList) At(i int) Entry { return Entry(l.b[i*HashSize : (i+1)*HashSize]) }

// Bytes returns the list in its wire form.
func (l hashList) Bytes() []byte { return l.b }

// Serials and Identities return b's revocation lists.
func (b *Bundle) Serials() HashList        { return b.serials }
func (b *Bundle) Identities() IdentityList { return b.identities }

// SetSerials and SetIdentities replace b's revocation lists.
func (b *Bundle) SetSerials(l HashList)        { b.serials = l }
func (b *Bundle) SetIdentities(l IdentityList) { b.identities = l }

// Apply is the delta application State.Accept does.
func (b *Bundle) Apply(d *Bundle) (*Bundle, error) { return b.apply(d) }
