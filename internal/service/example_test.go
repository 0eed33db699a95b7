package service_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/offcode/offcode/internal/service"
	"github.com/offcode/offcode/internal/store"
	"github.com/offcode/offcode/sign"
)

// Example runs the service on a temporary store and issues one code.
func Example() {
	dir, _ := os.MkdirTemp("", "offcode-example")
	defer os.RemoveAll(dir)
	key, _ := sign.GenerateKey(rand.Reader)
	secret := make([]byte, service.SecretSize)
	rand.Read(secret)
	st, err := store.Open(context.Background(), filepath.Join(dir, "offcode.db"), store.Options{Secret: secret})
	if err != nil {
		panic(err)
	}
	token, tok, _ := service.NewToken(rand.Reader, "backoffice", []service.Scope{service.ScopeIssue})
	svc, err := service.New(service.Config{
		Key: key, Secret: secret, Store: st,
		Tokens: &service.Tokens{Tokens: []*service.Token{tok}},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		panic(err)
	}
	defer svc.Close()
	srv := httptest.NewServer(svc.Handler())
	defer srv.Close()

	req, _ := http.NewRequest("POST", srv.URL+"/v1/codes", strings.NewReader(`{"id":"11010519491231002X","colour":"green"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var code service.CodeResponse
	json.NewDecoder(resp.Body).Decode(&code)
	fmt.Println(resp.Status, code.Colour, code.Kind, code.Code[:4])
	// Output:
	// 201 Created green personal OC1:
}
