package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jiefen/configs"
)

// selfSigned writes a certificate for 127.0.0.1 and its key as PEM files
// in dir and returns their paths and the certificate.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, cert *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "jiefen test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	if cert, err = x509.ParseCertificate(der); err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, cert
}

// serving starts the service configured by e's environment, with its
// log, and stops it when the test ends (an error if it does not stop
// within 10 s).
func serving(t *testing.T, e env) (*app, *bytes.Buffer) {
	t.Helper()
	c, err := configs.Load("", e.lookup)
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	a, err := newApp(context.Background(), c, slog.New(slog.NewJSONHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx) }()
	t.Cleanup(func() {
		stop()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("serve did not return")
		}
	})
	return a, logs
}

// TestServeTLS: with http.tls set (by the environment) jiefen serves
// HTTPS itself, refuses TLS 1.1, and a login's session cookie is Secure
// and the answer carries HSTS. A certificate without its key, or one that
// cannot be loaded, stops the start naming http.tls.
func TestServeTLS(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	certFile, keyFile, cert := selfSigned(t, dir)
	vars := map[string]string{"JIEFEN_DB_DSN": filepath.Join(dir, "j.db"), "JIEFEN_HTTP_ADDR": "127.0.0.1:0",
		"JIEFEN_HTTP_TLS_CERT_FILE": certFile, "JIEFEN_HTTP_TLS_KEY_FILE": keyFile}
	e, _, errb := testEnv("Admin-Pass-2026\n", vars)
	if code := run(ctx, []string{"user", "create", "--username", "admin", "--role", "admin", "--password-stdin"}, e); code != 0 {
		t.Fatalf("user create: exit %d, stderr %q", code, errb)
	}
	a, _ := serving(t, e)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	base := "https://" + a.Addr()

	res, err := client.Post(base+"/api/v1/auth/login?cookie=true", "application/json",
		strings.NewReader(`{"username":"admin","password":"Admin-Pass-2026"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.TLS == nil || res.TLS.Version < tls.VersionTLS12 {
		t.Fatalf("login over https = %d, TLS %v", res.StatusCode, res.TLS)
	}
	if hsts := res.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Errorf("Strict-Transport-Security = %q", hsts)
	}
	if len(res.Cookies()) == 0 {
		t.Fatal("no cookie set by the login")
	}
	for _, ck := range res.Cookies() {
		if !ck.Secure {
			t.Errorf("cookie %s is not Secure over https", ck.Name)
		}
	}
	old := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MaxVersion: tls.VersionTLS11}}}
	if res, err := old.Get(base + "/healthz"); err == nil {
		res.Body.Close()
		t.Error("a TLS 1.1 client was served")
	}
	if res, err := http.Get("http://" + a.Addr() + "/healthz"); err == nil && res.StatusCode == http.StatusOK {
		res.Body.Close()
		t.Error("plain HTTP was served on the TLS port")
	}

	for name, tlsVars := range map[string][2]string{
		"a certificate without its key":       {certFile, ""},
		"a key that is not the certificate's": {certFile, certFile},
	} {
		bad := map[string]string{"JIEFEN_DB_DSN": filepath.Join(dir, "j.db"), "JIEFEN_HTTP_ADDR": "127.0.0.1:0",
			"JIEFEN_HTTP_TLS_CERT_FILE": tlsVars[0], "JIEFEN_HTTP_TLS_KEY_FILE": tlsVars[1]}
		e, _, errb := testEnv("", bad)
		if code := run(ctx, []string{"serve"}, e); code == 0 || !strings.Contains(errb.String(), "http.tls") {
			t.Errorf("%s: exit %d, stderr %q; want a refusal naming http.tls", name, code, errb)
		}
	}
}
