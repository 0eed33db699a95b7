package service

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/kinship"
	"github.com/offcode/offcode/store"
)

// BindRequest is the body of POST /v1/bindings.
type BindRequest struct {
	GuardianID string `json:"guardian_id"`
	RelativeID string `json:"relative_id"`
	Relation   string `json:"relation"` // free text, such as "mother" or "grandson"
}

// BindingResponse describes a binding. It carries no ID number: the
// relative is shown masked, the way it is printed.
type BindingResponse struct {
	BindingID   string `json:"binding_id"`
	Relation    string `json:"relation"`
	Relative    string `json:"relative,omitempty"` // masked ID number, when the request gave it
	CreatedAt   string `json:"created_at"`
	UnbindAfter string `json:"unbind_after"`
}

var limits = store.Limits{
	MaxRelatives: kinship.MaxRelatives,
	MaxGuardians: kinship.MaxGuardians,
	MinAge:       kinship.MinAge,
}

const maxRelation = 32

func bindingResponse(b store.Binding, masked string) *BindingResponse {
	return &BindingResponse{
		BindingID:   b.ID,
		Relation:    b.Relation,
		Relative:    masked,
		CreatedAt:   b.CreatedAt.UTC().Format(time.RFC3339),
		UnbindAfter: b.CreatedAt.Add(limits.MinAge).UTC().Format(time.RFC3339),
	}
}

func (s *Service) handleBind(w http.ResponseWriter, r *http.Request) *apiError {
	var req BindRequest
	if e := decodeJSON(w, r, MaxBodySize, &req); e != nil {
		return e
	}
	now := s.now()
	guardian, err := identity.ParseID(req.GuardianID, now)
	if err != nil {
		return idError("guardian_id", err)
	}
	relative, err := identity.ParseID(req.RelativeID, now)
	if err != nil {
		return idError("relative_id", err)
	}
	rel := strings.TrimSpace(req.Relation)
	if rel == "" || !utf8.ValidString(rel) || utf8.RuneCountInString(rel) > maxRelation {
		return errorf(http.StatusBadRequest, CodeInvalidField, "relation must be 1 to %d characters", maxRelation)
	}
	if err := kinship.CheckPair(guardian, relative, now); err != nil {
		if errors.Is(err, kinship.ErrAge) {
			return errorf(http.StatusUnprocessableEntity, CodeAgeNotEligible,
				"kinship codes are only for relatives aged 0 to 16 or 60 and over; the relative is %d on %s (Beijing time)",
				relative.AgeOn(now), now.In(identity.Beijing()).Format("2006-01-02"))
		}
		return errorf(http.StatusUnprocessableEntity, CodeInvalidBinding, "the guardian and the relative are the same person")
	}
	p, err := s.lookupPerson(r.Context(), relative)
	if err != nil {
		return s.internal(r, "binding", err)
	}
	b := store.Binding{
		ID:        s.newBindingID(),
		Guardian:  s.personKey(guardian),
		Relative:  p.key,
		Relation:  rel,
		CreatedAt: now,
	}
	got, created, err := s.store.Bind(r.Context(), b, p.identity, limits)
	switch {
	case errors.Is(err, store.ErrGuardianLimit):
		return errorf(http.StatusConflict, CodeGuardianLimit, "a guardian can bind at most %d relatives", kinship.MaxRelatives)
	case errors.Is(err, store.ErrRelativeLimit):
		return errorf(http.StatusConflict, CodeRelativeLimit, "a relative can have at most %d guardians", kinship.MaxGuardians)
	case err != nil:
		return s.storeError(r, "binding", err)
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		s.remember(r.Context(), p)
	}
	writeJSON(w, status, bindingResponse(got, relative.Masked()))
	return nil
}

// newBindingID returns a random binding ID: 16 bytes, base64url.
func (s *Service) newBindingID() string {
	var b [16]byte
	io.ReadFull(s.rand, b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func (s *Service) handleGuardianBindings(w http.ResponseWriter, r *http.Request) *apiError {
	g, err := identity.ParseID(r.PathValue("id"), s.now())
	if err != nil {
		return idError("guardian id", err)
	}
	bs, err := s.store.GuardianBindings(r.Context(), s.personKey(g))
	if err != nil {
		return s.storeError(r, "listing bindings", err)
	}
	out := struct {
		Bindings []*BindingResponse `json:"bindings"`
	}{Bindings: make([]*BindingResponse, 0, len(bs))}
	for _, b := range bs {
		out.Bindings = append(out.Bindings, bindingResponse(b, ""))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Service) handleUnbind(w http.ResponseWriter, r *http.Request) *apiError {
	id := r.PathValue("binding_id")
	var tooEarly *store.TooEarlyError
	switch err := s.store.Unbind(r.Context(), id, s.now(), limits); {
	case errors.Is(err, store.ErrNotFound):
		return errorf(http.StatusNotFound, CodeNotFound, "no binding %q", clip(id))
	case errors.As(err, &tooEarly):
		return errorf(http.StatusConflict, CodeUnbindTooEarly, "a binding can be removed %v after it was made: from %s",
			limits.MinAge, tooEarly.At.UTC().Format(time.RFC3339))
	case err != nil:
		return s.storeError(r, "unbinding", err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// BindingCodeRequest is the body of POST /v1/bindings/{binding_id}/codes.
type BindingCodeRequest struct {
	Colour string `json:"colour"`
	Holder string `json:"holder,omitempty"`
}

// handleBindingCode issues the relative's kinship code through an existing
// binding. The service holds no ID number, only the relative's identity
// hash, which is all a code needs.
func (s *Service) handleBindingCode(w http.ResponseWriter, r *http.Request) *apiError {
	format, e := negotiate(r, formatJSON, formatPNG, formatPDF)
	if e != nil {
		return e
	}
	var req BindingCodeRequest
	if e := decodeJSON(w, r, MaxBodySize, &req); e != nil {
		return e
	}
	colour, e := parseColour(req.Colour)
	if e != nil {
		return e
	}
	if e := checkHolder(req.Holder); e != nil {
		return e
	}
	id := r.PathValue("binding_id")
	b, err := s.store.Binding(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, CodeNotFound, "no binding %q", clip(id))
	}
	if err != nil {
		return s.storeError(r, "reading binding", err)
	}
	p := person{key: b.Relative}
	if h, ok := s.cache.get(b.Relative); ok {
		p.identity = h
	} else if p.identity, err = s.store.Person(r.Context(), b.Relative); err != nil {
		return s.storeError(r, "reading relative", err)
	}
	spec := &issueSpec{colour: colour, kind: codec.Kin, holder: req.Holder, bindingID: b.ID, known: &p}
	return s.issueOne(w, r, spec, format, s.now())
}

// clip shortens a client-supplied value for an error message.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}
