// Package export writes a partner's existing Partner Center book as YAML a
// GitOps repository can take as it is: one folder per customer (its
// Customer, its MCAAttestation when an acceptance is confirmed, its
// Subscriptions), a ResellerPartnership per indirect reseller, and a
// kustomization.yaml in every folder and at the root. Every object adopts
// what exists (I1) and is Observe unless asked otherwise, so applying the
// directory changes nothing in Partner Center.
package export

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/validation"
)

// PartnerCenter is what the export reads: only reads. *partnercenter.Client implements it.
type PartnerCenter interface {
	ListAllCustomers(ctx context.Context, pageSize int, filter *wire.Filter) ([]wire.Customer, error)
	ListIndirectResellers(ctx context.Context) ([]wire.PartnerRelationship, error)
	ListSubscriptions(ctx context.Context, customerID string) ([]wire.Subscription, error)
	ListAgreements(ctx context.Context, customerID string) ([]wire.Agreement, error)
	GetDirectSignedStatus(ctx context.Context, customerID string) (*wire.DirectSignedStatus, error)
}

var _ PartnerCenter = (*partnercenter.Client)(nil)

// Filter narrows what is exported; empty fields select everything.
type Filter struct {
	// Reseller is an indirect reseller's MPN ID or name: only it and its customers.
	Reseller string
	// Customer is a customer ID, or a part of its company name (any case).
	Customer string
	// Offer is an offer ID or its prefix (e.g. a product ID): only those
	// subscriptions, and only customers that have one.
	Offer string
}

// Options configure an export.
type Options struct {
	// Dir is the directory written.
	Dir string
	// Manage writes managementPolicy Manage instead of Observe.
	Manage bool
	// Filter narrows the export.
	Filter Filter
	// Workers is how many customers are read at once (default 4); the
	// client's rate limit bounds the calls whatever the number.
	Workers int
	// Progress is told how far the export is; nil tells nothing.
	Progress Progress
	// PageSize is the customer list page size (0: the server's).
	PageSize int
}

// Progress follows an export: Start once with the customers to export and
// how many an earlier, interrupted run already wrote; Customer once per
// customer written with its subscription count.
type Progress interface {
	Start(total, alreadyDone int)
	Customer(subscriptions int)
}

// Summary is what an export wrote.
type Summary struct {
	// Resellers, Customers, Agreements and Subscriptions count the objects
	// of each kind in the directory (resumed customers included).
	Resellers, Customers, Agreements, Subscriptions int
	// Resumed counts the customers an earlier run had written, not read again.
	Resumed int
	// Skipped lists what could not be exported and why (e.g. an ended subscription is not).
	Skipped []string
}

// customersDir and resellersDir are the folders under Dir.
const (
	customersDir = "customers"
	resellersDir = "resellers"
	// progressFile records the customers written so far, so an interrupted
	// export resumes where it stopped; it is removed when the export completes.
	progressFile = ".export-progress"
)

// Run exports the book into o.Dir.
func Run(ctx context.Context, pc PartnerCenter, o Options) (*Summary, error) {
	policy := v1alpha1.ManagementPolicyObserve
	if o.Manage {
		policy = v1alpha1.ManagementPolicyManage
	}
	e := &exporter{pc: pc, o: o, policy: policy, summary: &Summary{}}
	if err := os.MkdirAll(filepath.Join(o.Dir, customersDir), 0o755); err != nil {
		return nil, err
	}
	resellers, err := e.resellers(ctx)
	if err != nil {
		return nil, err
	}
	customers, err := e.customers(ctx, resellers)
	if err != nil {
		return nil, err
	}
	done, err := e.readProgress()
	if err != nil {
		return nil, err
	}
	if err := e.exportCustomers(ctx, customers, resellers, done); err != nil {
		return e.summary, err
	}
	if err := e.writeKustomizations(customers, resellers); err != nil {
		return e.summary, err
	}
	return e.summary, os.Remove(filepath.Join(o.Dir, progressFile))
}

// exporter is one run of Run.
type exporter struct {
	pc     PartnerCenter
	o      Options
	policy v1alpha1.ManagementPolicy

	mu       sync.Mutex
	summary  *Summary
	progress *os.File
}

// resellersByTenant are the exported resellers, by tenant ID.
type resellersByTenant map[string]wire.PartnerRelationship

// resellers reads the indirect resellers (an indirect provider has them;
// others get an empty list) and writes a ResellerPartnership for each one the filter selects.
func (e *exporter) resellers(ctx context.Context) (resellersByTenant, error) {
	var list []wire.PartnerRelationship
	err := retryThrottled(ctx, func() (err error) { list, err = e.pc.ListIndirectResellers(ctx); return err })
	if err != nil {
		return nil, fmt.Errorf("listing the indirect resellers: %w", err)
	}
	out := resellersByTenant{}
	for _, r := range list {
		if r.State != "" && !strings.EqualFold(r.State, wire.RelationshipStateActive) {
			continue
		}
		if f := e.o.Filter.Reseller; f != "" && f != r.MpnID && !strings.EqualFold(f, r.Name) {
			continue
		}
		if err := writeObjects(filepath.Join(e.o.Dir, resellersDir), resellerName(r)+".yaml", resellerObject(r, e.policy)); err != nil {
			return nil, err
		}
		out[r.ID] = r
	}
	e.summary.Resellers = len(out)
	return out, nil
}

// selected is a customer chosen for the export with its object name.
type selected struct {
	customer wire.Customer
	name     string
}

// customers lists the partner's customers and keeps those the filter selects, by name.
func (e *exporter) customers(ctx context.Context, resellers resellersByTenant) ([]selected, error) {
	var list []wire.Customer
	err := retryThrottled(ctx, func() (err error) { list, err = e.pc.ListAllCustomers(ctx, e.o.PageSize, nil); return err })
	if err != nil {
		return nil, fmt.Errorf("listing the customers: %w", err)
	}
	var out []selected
	for _, c := range list {
		if c.RelationshipToPartner != "" && c.RelationshipToPartner != wire.RelationshipReseller {
			continue // an advisor relationship, say: nothing this operator manages
		}
		if _, ok := resellers[c.AssociatedPartnerID]; e.o.Filter.Reseller != "" && !ok {
			continue
		}
		if f := e.o.Filter.Customer; f != "" && !strings.EqualFold(f, c.ID) && !strings.Contains(strings.ToLower(companyName(c)), strings.ToLower(f)) {
			continue
		}
		out = append(out, selected{customer: c, name: objectName(companyName(c), c.ID, "customer")})
	}
	slices.SortFunc(out, func(a, b selected) int { return strings.Compare(a.name, b.name) })
	return out, nil
}

// exportCustomers writes the customers' folders with o.Workers workers,
// skipping those an interrupted run already wrote.
func (e *exporter) exportCustomers(ctx context.Context, customers []selected, resellers resellersByTenant, done map[string]bool) error {
	var todo []selected
	for _, c := range customers {
		if done[c.customer.ID] {
			e.summary.Resumed++
			continue
		}
		todo = append(todo, c)
	}
	if e.o.Progress != nil {
		e.o.Progress.Start(len(customers), e.summary.Resumed)
	}
	f, err := os.OpenFile(filepath.Join(e.o.Dir, progressFile), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	e.progress = f

	workers := max(e.o.Workers, 1)
	if e.o.Workers == 0 {
		workers = 4
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan selected)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for c := range next {
				if err := e.exportCustomer(ctx, c, resellers); err != nil {
					cancel(fmt.Errorf("customer %s (%s): %w", c.customer.ID, companyName(c.customer), err))
				}
			}
		})
	}
feed:
	for _, c := range todo {
		select {
		case next <- c:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return e.countResumed(customers, done)
}

// exportCustomer reads one customer's subscriptions and agreement and
// writes its folder whole (a temporary folder renamed into place), then
// records it as done.
func (e *exporter) exportCustomer(ctx context.Context, c selected, resellers resellersByTenant) error {
	var subs []wire.Subscription
	if err := retryThrottled(ctx, func() (err error) { subs, err = e.pc.ListSubscriptions(ctx, c.customer.ID); return err }); err != nil {
		return err
	}
	reseller := ""
	if r, ok := resellers[c.customer.AssociatedPartnerID]; ok {
		reseller = resellerName(r)
	}
	objects := []any{e.customerObject(c, reseller)}
	var skipped []string
	subscriptions := 0
	for _, s := range subs {
		if e.o.Filter.Offer != "" && !strings.HasPrefix(strings.ToLower(s.OfferID), strings.ToLower(e.o.Filter.Offer)) {
			continue
		}
		if !exportable(s) {
			skipped = append(skipped, fmt.Sprintf("subscription %s of customer %s: status %s, quantity %d", s.ID, c.customer.ID, s.Status, s.Quantity))
			continue
		}
		onRecord := ""
		if r, ok := resellers[c.customer.AssociatedPartnerID]; ok && s.PartnerID == r.MpnID {
			onRecord = reseller
		}
		objects = append(objects, subscriptionObject(s, c.name, onRecord, e.policy))
		subscriptions++
	}
	if e.o.Filter.Offer != "" && subscriptions == 0 {
		return e.record(c, 0, false, skipped, nil)
	}
	mca, err := e.attestation(ctx, c)
	if err != nil {
		return err
	}
	if mca != nil {
		objects = append(objects, mca)
	}
	return e.record(c, subscriptions, mca != nil, skipped, objects)
}

// customerObject is the customer's Customer; a company name Partner Center
// holds but admission would refuse (C2: e.g. a sandbox "Test" customer) is
// left out, since an adopted customer's name is informative only.
func (e *exporter) customerObject(c selected, reseller string) *v1alpha1.Customer {
	obj := customerObject(c.customer, c.name, reseller, e.policy)
	if errs, _ := validation.CompanyName(field.NewPath("spec", "companyName"), obj.Spec.CompanyName); len(errs) > 0 {
		obj.Spec.CompanyName = ""
	}
	return obj
}

// attestation reads the customer's MCA acceptance: the listed partner
// attestations, and the direct signature only when none is listed.
func (e *exporter) attestation(ctx context.Context, c selected) (any, error) {
	var agreements []wire.Agreement
	if err := retryThrottled(ctx, func() (err error) { agreements, err = e.pc.ListAgreements(ctx, c.customer.ID); return err }); err != nil {
		return nil, err
	}
	signed := false
	if !slices.ContainsFunc(agreements, func(a wire.Agreement) bool { return a.Type == wire.AgreementTypeMCA }) {
		var st *wire.DirectSignedStatus
		if err := retryThrottled(ctx, func() (err error) { st, err = e.pc.GetDirectSignedStatus(ctx, c.customer.ID); return err }); err != nil {
			return nil, err
		}
		signed = st != nil && st.IsSigned
	}
	if obj := attestationObject(c.name, agreements, signed, e.policy); obj != nil {
		return obj, nil
	}
	return nil, nil
}

// record writes a customer's folder (none when objects is nil: the filter
// left nothing of it), counts it and records it as done.
func (e *exporter) record(c selected, subscriptions int, mca bool, skipped []string, objects []any) error {
	if objects != nil {
		if err := writeFolder(filepath.Join(e.o.Dir, customersDir, c.name), objects); err != nil {
			return err
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.summary.Skipped = append(e.summary.Skipped, skipped...)
	if objects != nil {
		e.summary.Customers++
		e.summary.Subscriptions += subscriptions
		if mca {
			e.summary.Agreements++
		}
	}
	if _, err := fmt.Fprintln(e.progress, c.customer.ID); err != nil {
		return err
	}
	if e.o.Progress != nil {
		e.o.Progress.Customer(subscriptions)
	}
	return nil
}

// readProgress reads the customers an interrupted run wrote.
func (e *exporter) readProgress() (map[string]bool, error) {
	raw, err := os.ReadFile(filepath.Join(e.o.Dir, progressFile))
	if errors.Is(err, os.ErrNotExist) {
		return map[string]bool{}, nil
	}
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	for _, id := range strings.Fields(string(raw)) {
		done[id] = true
	}
	return done, nil
}

// countResumed adds the objects of the customers an earlier run wrote to the summary, from their folders.
func (e *exporter) countResumed(customers []selected, done map[string]bool) error {
	for _, c := range customers {
		if !done[c.customer.ID] {
			continue
		}
		entries, err := os.ReadDir(filepath.Join(e.o.Dir, customersDir, c.name))
		if errors.Is(err, os.ErrNotExist) {
			continue // the filter left nothing of it
		}
		if err != nil {
			return err
		}
		e.summary.Customers++
		for _, entry := range entries {
			switch {
			case entry.Name() == attestationFile:
				e.summary.Agreements++
			case strings.HasPrefix(entry.Name(), subscriptionFilePrefix):
				e.summary.Subscriptions++
			}
		}
	}
	return nil
}

// retryThrottled runs call again after the delay Partner Center asked for
// while it answers 429 with a Retry-After longer than the client waits
// inline (the client already waits for short ones and keeps the rate limit).
func retryThrottled(ctx context.Context, call func() error) error {
	for {
		err := call()
		after, throttled := partnercenter.IsThrottled(err)
		if !throttled {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(after):
		}
	}
}
