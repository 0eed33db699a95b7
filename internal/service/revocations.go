package service

import (
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/internal/store"
)

// RevokeRequest is the body of POST /v1/revocations: a code's serial, or a
// person's ID number presented at the service (every code of theirs issued
// until now), and why.
type RevokeRequest struct {
	Serial string `json:"serial,omitempty"` // 24 hex digits, as in a code response
	ID     string `json:"id,omitempty"`
	Reason string `json:"reason"` // 1 to 200 characters
}

// RevocationEntry is one pending revocation in GET /v1/revocations, the
// file "offcode bundle pull" imports into the next bundle draft: Serial for
// one code, or Identity (hex version || salt || sum, as a bundle lists it)
// and Before for a person's codes.
type RevocationEntry struct {
	Seq      int64  `json:"seq"`
	Serial   string `json:"serial,omitempty"`
	KeyID    string `json:"kid,omitempty"` // the key that signed the code with Serial
	Identity string `json:"identity,omitempty"`
	Before   string `json:"before,omitempty"`
	Reason   string `json:"reason"`
	At       string `json:"at"`
}

// RevocationPage is the body of GET /v1/revocations?after=N. Next is the
// cursor to ask with next time: the last Seq in the page, or after.
type RevocationPage struct {
	Revocations []RevocationEntry `json:"revocations"`
	Next        int64             `json:"next"`
}

const maxReason = 200

func (s *Service) handleRevoke(w http.ResponseWriter, r *http.Request) *apiError {
	var req RevokeRequest
	if e := decodeJSON(w, r, MaxBodySize, &req); e != nil {
		return e
	}
	reason := strings.TrimSpace(req.Reason)
	if reason == "" || !utf8.ValidString(reason) || utf8.RuneCountInString(reason) > maxReason {
		return errorf(http.StatusBadRequest, CodeInvalidField, "reason must be 1 to %d characters", maxReason)
	}
	if (req.Serial == "") == (req.ID == "") {
		return errorf(http.StatusBadRequest, CodeInvalidField, "give either serial (one code) or id (every code of a person)")
	}
	c := callerOf(r)
	now := s.now()
	rv := &store.Revocation{Reason: reason, Token: c.token.Name, RequestID: c.requestID, At: now}
	if req.Serial != "" {
		b, err := hex.DecodeString(req.Serial)
		if err != nil || len(b) != len(rv.Serial) {
			return errorf(http.StatusBadRequest, CodeInvalidSerial, "serial must be %d hex digits", 2*len(rv.Serial))
		}
		copy(rv.Serial[:], b)
	} else {
		id, err := identity.ParseID(req.ID, now)
		if err != nil {
			return idError("id", err)
		}
		rv.Person, rv.IsPerson = s.personKey(id), true
		h, err := s.store.Person(r.Context(), rv.Person)
		if errors.Is(err, store.ErrNotFound) {
			return errorf(http.StatusNotFound, CodeNotFound, "this service has issued no code to this person")
		}
		if err != nil {
			return s.storeError(r, "reading person", err)
		}
		rv.Identity = h
	}
	switch err := s.store.Revoke(r.Context(), rv); {
	case errors.Is(err, store.ErrNotFound):
		return errorf(http.StatusNotFound, CodeNotFound, "this service has issued no code with serial %s", req.Serial)
	case err != nil:
		return s.storeError(r, "revoking", err)
	}
	writeJSON(w, http.StatusCreated, revocationEntry(rv))
	return nil
}

func revocationEntry(rv *store.Revocation) RevocationEntry {
	e := RevocationEntry{Seq: rv.Seq, Reason: rv.Reason, At: rv.At.UTC().Format(time.RFC3339)}
	if rv.IsPerson {
		// Codes carry whole seconds: before the next second covers every
		// code issued up to the revocation.
		e.Identity = IdentityHex(rv.Identity)
		e.Before = rv.At.Truncate(time.Second).Add(time.Second).UTC().Format(time.RFC3339)
	} else {
		e.Serial = hex.EncodeToString(rv.Serial[:])
		e.KeyID = rv.KeyID.String()
	}
	return e
}

// IdentityHex formats an identity hash as hex version || salt || sum.
func IdentityHex(h identity.Hash) string {
	return hex.EncodeToString([]byte{h.Version}) + hex.EncodeToString(h.Salt[:]) + hex.EncodeToString(h.Sum[:])
}

// ParseIdentityHex parses what IdentityHex formats.
func ParseIdentityHex(s string) (identity.Hash, error) {
	var h identity.Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 1+identity.SaltSize+format.SumSize {
		return h, errors.New("service: identity must be hex version, salt and sum")
	}
	h.Version = b[0]
	copy(h.Salt[:], b[1:1+identity.SaltSize])
	copy(h.Sum[:], b[1+identity.SaltSize:])
	return h, nil
}

// handleRevocations serves GET /v1/revocations?after=N: pending
// revocations, oldest first, for the offline root holder.
func (s *Service) handleRevocations(w http.ResponseWriter, r *http.Request) *apiError {
	var after int64
	if a := r.URL.Query().Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			return errorf(http.StatusBadRequest, CodeInvalidArgument, "after must be a revocation sequence number")
		}
		after = n
	}
	rvs, err := s.store.Revocations(r.Context(), after, MaxAuditPage)
	if err != nil {
		return s.storeError(r, "reading revocations", err)
	}
	page := RevocationPage{Revocations: make([]RevocationEntry, 0, len(rvs)), Next: after}
	for i := range rvs {
		page.Revocations = append(page.Revocations, revocationEntry(&rvs[i]))
		page.Next = rvs[i].Seq
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}
