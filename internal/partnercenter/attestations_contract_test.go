package partnercenter_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
)

// legacyEpoch is a day the legacy attestation still worked (before 2026-01-05).
var legacyEpoch = time.Date(2025, 11, 3, 8, 0, 0, 0, time.UTC)

// attestEnhanced runs the 2026 MCA flow for a customer through the client:
// attestation, the simulated customer accepting its link, agreement.
func (e *contractEnv) attestEnhanced(t *testing.T, customerID, email string) wire.Agreement {
	t.Helper()
	att, err := e.client.CreateEnhancedAttestation(e.ctx, "rid-att-"+customerID, wire.EnhancedAttestationRequest{
		Country: "US", Language: "en", CompanyName: "Contoso Ltd",
		SignatoryFirstName: "Tania", SignatoryLastName: "Carr", SignatoryEmail: email, ExpirationTimeInMinutes: 60,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.sim.CustomerAcceptsAttestation(att.AttestationID); err != nil {
		t.Fatal(err)
	}
	a, err := e.client.CreateAttestedAgreement(e.ctx, "rid-agr-"+customerID, customerID, wire.Agreement{
		TemplateID: wire.MCATemplateID, Type: wire.AgreementTypeMCA, AttestationID: att.AttestationID,
	})
	if err != nil {
		t.Fatal(err)
	}
	return *a
}

// postSample sends a sample body to the simulator over HTTP with an app-only
// token and returns the status and the decoded top-level object.
func (e *contractEnv) postSample(t *testing.T, path string, body []byte) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, e.srv.URL()+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.sim.IssueToken(pcsim.TokenAppOnly))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

// sampleKeys are the top-level keys of a testdata sample.
func sampleKeys(t *testing.T, name string) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// TestContractSimulatorAnswersAttestationSamples: the simulator answers the
// sample requests with the status and every key of the sample answers.
func TestContractSimulatorAnswersAttestationSamples(t *testing.T) {
	e := newContractEnv(t, pcsim.Config{DirectSignDelay: -1, AttestationAcceptDelay: -1})
	raw, err := os.ReadFile(filepath.Join("testdata", "enhanced_attestation_request.json"))
	if err != nil {
		t.Fatal(err)
	}
	status, att := e.postSample(t, "/v1/attestations/enhanced", raw)
	if status != http.StatusCreated {
		t.Fatalf("create attestation: HTTP %d %v", status, att)
	}
	for _, k := range sampleKeys(t, "enhanced_attestation_response.json") {
		if _, ok := att[k]; !ok {
			t.Errorf("the simulator's attestation lacks %q: %v", k, att)
		}
	}

	c := e.mustCreateCustomer(t, "rid-1", "samples.onmicrosoft.com")
	id := att["attestationId"].(string)
	if err := e.sim.CustomerAcceptsAttestation(id); err != nil {
		t.Fatal(err)
	}
	var agreement map[string]any
	raw, _ = os.ReadFile(filepath.Join("testdata", "agreement_create_attested_request.json"))
	_ = json.Unmarshal(raw, &agreement)
	agreement["attestationId"] = id
	raw, _ = json.Marshal(agreement)
	if status, body := e.postSample(t, "/v1/customers/"+c.ID+"/agreements", raw); status != http.StatusCreated || body["attestationId"] != id {
		t.Fatalf("create agreement: HTTP %d %v", status, body)
	}
	status, dup := e.postSample(t, "/v1/customers/"+c.ID+"/agreements", raw)
	keys := sampleKeys(t, "error_600061.json")
	if status != http.StatusBadRequest || dup["code"] != float64(600061) {
		t.Fatalf("duplicate: HTTP %d %v", status, dup)
	}
	for _, k := range keys {
		if _, ok := dup[k]; !ok {
			t.Errorf("the 600061 answer lacks %q", k)
		}
	}
}

// TestContractEnhancedFlowOpensTheOrderGate: through the client, a customer
// with an agreement referencing an accepted attestation may order, and the
// agreement is listed with the attestation ID and the acceptance date.
func TestContractEnhancedFlowOpensTheOrderGate(t *testing.T) {
	e := newContractEnv(t, pcsim.Config{DirectSignDelay: -1, AttestationAcceptDelay: -1})
	c := e.mustCreateCustomer(t, "rid-1", "gate.onmicrosoft.com")
	if err := e.sim.ApproveVerification(c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.CreateAgreement(e.ctx, "rid-legacy", c.ID, wire.Agreement{
		PrimaryContact: wire.Contact{FirstName: "Tania", LastName: "Carr", Email: "tania@gate.example"},
		TemplateID:     wire.MCATemplateID, Type: wire.AgreementTypeMCA, DateAgreed: wire.FormatTime(contractEpoch.Add(-time.Hour)),
	}); pc.ErrorCode(err) != wire.CodeInvalidInput {
		t.Fatalf("the legacy attestation past its retirement: %v", err)
	}
	a := e.attestEnhanced(t, c.ID, "tania@gate.example")
	list, err := e.client.ListAgreements(e.ctx, c.ID)
	if err != nil || len(list) != 1 || list[0].AttestationID != a.AttestationID || list[0].DateAgreed == "" {
		t.Fatalf("list %+v, %v", list, err)
	}
	if v, err := pc.ReadMCAState(e.ctx, e.client, c.ID, false, e.clock.Now()); err != nil || !v.Accepted() {
		t.Fatalf("ReadMCAState %+v, %v", v, err)
	}
	if _, err := e.client.CreateOrder(e.ctx, "rid-o", c.ID, order("")); err != nil {
		t.Fatal(err)
	}
}

// TestContractMFARefusalIsTypedAndCounted: an App+User token without the MFA
// claim is refused with 401 900421 once MFA is enforced (2026-04-01); the
// client types it and counts it; the enhanced flow's App-only calls go on.
func TestContractMFARefusalIsTypedAndCounted(t *testing.T) {
	reg := prometheus.NewRegistry()
	e := newContractEnv(t, pcsim.Config{DirectSignDelay: -1, AttestationAcceptDelay: -1}, func(o *pc.Options) {
		o.Registerer = reg
	})
	noMFA, err := pc.New(pc.Options{BaseURL: e.srv.URL(), RetryDelay: time.Millisecond, Registerer: reg,
		AppOnly: pc.StaticTokenCredential(e.sim.IssueToken(pcsim.TokenAppOnly)),
		AppUser: pc.StaticTokenCredential(e.sim.IssueToken(pcsim.TokenAppUserWithoutMFA))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := noMFA.GetAgreementMetadata(e.ctx); err != nil {
		t.Fatalf("before 2026-04-01 MFA is not enforced: %v", err)
	}
	e.clock.Advance(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC).Sub(e.clock.Now()))
	_, err = noMFA.GetAgreementMetadata(e.ctx)
	if !pc.IsMFARequired(err) || pc.ErrorCode(err) != wire.CodeMFARequired {
		t.Fatalf("want 900421, got %v", err)
	}
	if n := counterValue(t, reg, "partnercenter_mfa_refusals_total"); n != 1 {
		t.Errorf("partnercenter_mfa_refusals_total = %v, want 1", n)
	}
	if _, err := noMFA.CreateEnhancedAttestation(e.ctx, "rid-mfa", wire.EnhancedAttestationRequest{
		Country: "US", Language: "en", CompanyName: "Contoso Ltd", SignatoryFirstName: "Tania", SignatoryLastName: "Carr", SignatoryEmail: "t@x.example",
	}); err != nil {
		t.Fatalf("App-only calls need no MFA: %v", err)
	}
}

// counterValue is a registered counter's total over its series (every
// operation's series exists from the start, at zero).
func counterValue(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		var total float64
		for _, m := range f.GetMetric() {
			total += m.GetCounter().GetValue()
		}
		return total
	}
	t.Fatalf("%s is not registered", name)
	return 0
}
