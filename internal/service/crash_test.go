package service_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/offcode/offcode/internal/service"
	"github.com/offcode/offcode/internal/store"
	"github.com/offcode/offcode/sign"
)

// crashDirEnv names the directory of the server that TestCrashServer runs
// in a child process; crashDBEnv, if set, its store (a postgres:// URL);
// crashNameEnv names its address file (default addr).
const (
	crashDirEnv  = "OFFCODE_CRASH_SERVER_DIR"
	crashDBEnv   = "OFFCODE_CRASH_SERVER_DB"
	crashNameEnv = "OFFCODE_CRASH_SERVER_NAME"
)

// TestCrashServer is not a test: it is the server process that
// TestCrashSafety starts and kills. It does nothing in a normal run.
func TestCrashServer(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		return
	}
	key, err := sign.LoadKeyFile(filepath.Join(dir, "issuer.pem"))
	if err != nil {
		t.Fatal(err)
	}
	secret, err := service.LoadSecret(filepath.Join(dir, "offcode.secret"))
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := service.LoadTokens(filepath.Join(dir, "tokens.json"))
	if err != nil {
		t.Fatal(err)
	}
	db := os.Getenv(crashDBEnv)
	if db == "" {
		db = filepath.Join(dir, "offcode.db")
	}
	name := os.Getenv(crashNameEnv)
	if name == "" {
		name = "addr"
	}
	st, err := store.Open(context.Background(), db, store.Options{Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Config{Key: key, Secret: secret, Store: st, Tokens: tokens,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".tmp"), []byte(ln.Addr().String()), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Rename(filepath.Join(dir, name+".tmp"), filepath.Join(dir, name))
	http.Serve(ln, svc.Handler()) // until killed
}

// TestCrashSafety issues codes from several clients, kills the server with
// SIGKILL in the middle, restarts it and checks that every code a client
// received (a 201 with its body read in full) is in the audit trail.
func TestCrashSafety(t *testing.T) {
	if os.Getenv(crashDirEnv) != "" {
		return
	}
	dir := t.TempDir()
	key, _ := sign.GenerateKey(rand.Reader)
	if err := sign.WriteKeyFile(filepath.Join(dir, "issuer.pem"), key); err != nil {
		t.Fatal(err)
	}
	if err := service.CreateSecret(filepath.Join(dir, "offcode.secret"), rand.Reader); err != nil {
		t.Fatal(err)
	}
	token, tok, _ := service.NewToken(rand.Reader, "load", []service.Scope{service.ScopeIssue, service.ScopeAudit})
	if err := service.AddToken(filepath.Join(dir, "tokens.json"), tok); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	received := map[string]bool{}
	for round := range 2 {
		cmd, addr := startCrashServer(t, dir)
		t.Logf("round %d: server up at %v", round, time.Now().Format("15:04:05.000"))
		var mu sync.Mutex
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for c := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					body := fmt.Sprintf(`{"id":%q,"colour":"green"}`, makeID("19700101", (c*137+i)%1000))
					req, _ := http.NewRequest("POST", "http://"+addr+"/v1/codes", strings.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+token)
					resp, err := client.Do(req)
					if err != nil {
						continue // the server is gone
					}
					b, err := io.ReadAll(resp.Body)
					resp.Body.Close()
					if err != nil || resp.StatusCode != 201 {
						continue
					}
					var cr service.CodeResponse
					if json.Unmarshal(b, &cr) == nil && cr.Serial != "" {
						mu.Lock()
						received[cr.Serial] = true
						mu.Unlock()
					}
				}
			}()
		}
		// Let the clients get going, then kill the server mid-load.
		deadline := time.Now().Add(10 * time.Second)
		for {
			mu.Lock()
			n := len(received)
			mu.Unlock()
			if n >= (round+1)*300 || time.Now().After(deadline) {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Logf("round %d: %d codes received at %v", round, len(received), time.Now().Format("15:04:05.000"))
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		close(stop)
		wg.Wait()
		client.CloseIdleConnections()
	}
	// Restart and read the whole trail over HTTP.
	cmd, addr := startCrashServer(t, dir)
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	audited := map[string]bool{}
	after := int64(0)
	for {
		req, _ := http.NewRequest("GET", fmt.Sprintf("http://%s/v1/audit?after=%d&limit=5000", addr, after), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page service.AuditPage
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Records {
			audited[r.Serial] = true
		}
		if len(page.Records) < 5000 {
			break
		}
		after = page.Next
	}
	if len(received) < 300 {
		t.Fatalf("clients received only %d codes before the kills", len(received))
	}
	missing := 0
	for s := range received {
		if !audited[s] {
			missing++
		}
	}
	if missing > 0 {
		t.Fatalf("%d of %d codes clients received are not in the audit trail", missing, len(received))
	}
	t.Logf("2 SIGKILLs under load: %d codes received by clients, all among the %d audit records", len(received), len(audited))
}

func startCrashServer(t *testing.T, dir string, env ...string) (*exec.Cmd, string) {
	t.Helper()
	name := "addr"
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, crashNameEnv+"="); ok {
			name = v
		}
	}
	os.Remove(filepath.Join(dir, name))
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashServer$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), crashDirEnv+"="+dir), env...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			return cmd, string(b)
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("crash server did not start: %s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
