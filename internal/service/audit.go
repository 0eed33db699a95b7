package service

import (
	"encoding/hex"
	"net/http"
	"strconv"
	"time"

	"github.com/offcode/offcode/internal/store"
)

// AuditRecord is one issued code in GET /v1/audit and offcode audit. Person
// (the HMAC of the ID number under the service secret) and Identity (the
// hash the code carries, crackable to the ID number: issue 10) are left out
// unless the caller has scope audit_identity (offcode audit: --identity and
// the secret).
type AuditRecord struct {
	Seq       int64  `json:"seq"`
	Serial    string `json:"serial"`             // hex
	Person    string `json:"person,omitempty"`   // hex HMAC-SHA256
	Identity  string `json:"identity,omitempty"` // hex version || salt || sum
	Colour    string `json:"colour"`
	Kind      string `json:"kind"`
	IssuedAt  string `json:"issued_at"`
	ExpiresAt string `json:"expires_at"`
	KeyID     string `json:"kid"`
	Token     string `json:"token"`
	RequestID string `json:"request_id"`
	BindingID string `json:"binding_id,omitempty"`
}

// NewAuditRecord converts a store record for export; withIdentity adds the
// person and the identity hash.
func NewAuditRecord(r *store.Record, withIdentity bool) AuditRecord {
	a := AuditRecord{
		Seq:       r.Seq,
		Serial:    hex.EncodeToString(r.Serial[:]),
		Colour:    r.Colour.String(),
		Kind:      r.Kind.String(),
		IssuedAt:  r.IssuedAt.UTC().Format(time.RFC3339),
		ExpiresAt: r.ExpiresAt.UTC().Format(time.RFC3339),
		KeyID:     r.KeyID.String(),
		Token:     r.Token,
		RequestID: r.RequestID,
		BindingID: r.BindingID,
	}
	if withIdentity {
		a.Person = hex.EncodeToString(r.Person[:])
		a.Identity = IdentityHex(r.Identity)
	}
	return a
}

// AuditPage is the body of GET /v1/audit. Next is always there: the cursor
// to ask with next time (after=Next), the last record's Seq or, on an empty
// page, the after asked with. A page shorter than the limit was the last
// for now.
type AuditPage struct {
	Records []AuditRecord `json:"records"`
	Next    int64         `json:"next"`
}

// MaxAuditPage bounds the records in one GET /v1/audit response.
const MaxAuditPage = 5000

// handleAudit serves GET /v1/audit?since=RFC3339&after=SEQ&limit=N.
func (s *Service) handleAudit(w http.ResponseWriter, r *http.Request) *apiError {
	q := store.AuditQuery{Limit: 1000}
	v := r.URL.Query()
	if since := v.Get("since"); since != "" {
		t, err := time.Parse(time.RFC3339, since)
		if err != nil {
			return errorf(http.StatusBadRequest, CodeInvalidArgument, "since must be an RFC 3339 time")
		}
		q.Since = t
	}
	if after := v.Get("after"); after != "" {
		n, err := strconv.ParseInt(after, 10, 64)
		if err != nil || n < 0 {
			return errorf(http.StatusBadRequest, CodeInvalidArgument, "after must be a record sequence number")
		}
		q.After = n
	}
	if limit := v.Get("limit"); limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > MaxAuditPage {
			return errorf(http.StatusBadRequest, CodeInvalidArgument, "limit must be 1 to %d", MaxAuditPage)
		}
		q.Limit = n
	}
	recs, err := s.store.Audit(r.Context(), q)
	if err != nil {
		return s.storeError(r, "reading audit", err)
	}
	withID := callerOf(r).token.has(ScopeAuditIdentity)
	page := AuditPage{Records: make([]AuditRecord, 0, len(recs)), Next: q.After}
	for i := range recs {
		page.Records = append(page.Records, NewAuditRecord(&recs[i], withID))
		page.Next = recs[i].Seq
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}
