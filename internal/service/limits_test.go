package service_test

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/offcode/offcode/internal/service"
)

// TestFirstTimeBudget: first-time identities have their own budget; a
// token over it still renews people the service knows.
func TestFirstTimeBudget(t *testing.T) {
	e := newEnv(t)
	e.svc = e.newServiceWith(func(c *serviceConfig) { c.NewRate, c.NewBurst = 0.001, 1 })
	e.restartHTTP()
	want(t, "first stranger", e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "green"}), 201, "")
	r := e.do("POST", "/v1/codes", "issuer", map[string]string{"id": child, "colour": "green"})
	want(t, "second stranger", r, 429, "rate_limited")
	if !strings.Contains(string(r.body), "first-time identities") {
		t.Fatalf("429 for a stranger does not say why: %s", r.body)
	}
	want(t, "renewal of a known person", e.do("POST", "/v1/codes", "issuer", map[string]string{"id": adult, "colour": "yellow"}), 201, "")
	if !strings.Contains(e.logs.String(), "level=INFO msg=request route=codes method=POST status=201") {
		t.Fatalf("no info-level request log with route and status: %s", e.logs.String())
	}
}

// TestLimitListener: with a cap of 1, a second connection is not accepted
// until the first closes.
func TestLimitListener(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := service.LimitListener(inner, 1)
	defer ln.Close()
	accepted := make(chan net.Conn, 2)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	c1, _ := net.Dial("tcp", inner.Addr().String())
	defer c1.Close()
	first := <-accepted
	c2, _ := net.Dial("tcp", inner.Addr().String())
	defer c2.Close()
	select {
	case <-accepted:
		t.Fatalf("a second connection was accepted over the cap of 1")
	case <-time.After(200 * time.Millisecond):
	}
	first.Close()
	select {
	case c := <-accepted:
		c.Close()
	case <-time.After(5 * time.Second):
		t.Fatalf("the second connection was not accepted after the first closed")
	}
}
