package testenv

import (
	"context"
	"sync"

	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// CustomerCalls is Partner Center for a Customer controller under test: it
// records, in order, the customer ID of each billing-profile read (the first
// read of a settled Customer's pass) and "create:"+domain for each step of a
// create, and can hold every billing-profile read until released, so a
// worker stays busy on one pass while work queues up behind it.
type CustomerCalls struct {
	customer.External

	mu    sync.Mutex
	calls []string
	held  chan struct{} // non-nil: billing-profile reads wait until it is closed
}

// NewCustomerCalls records the calls made to external.
func NewCustomerCalls(external customer.External) *CustomerCalls {
	return &CustomerCalls{External: external}
}

// record notes that a pass worked on subject.
func (e *CustomerCalls) record(subject string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls = append(e.calls, subject)
}

// Recorded is what was recorded since mark (a Mark).
func (e *CustomerCalls) Recorded(mark int) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.calls[mark:]...)
}

// Mark is how much was recorded so far.
func (e *CustomerCalls) Mark() int { return len(e.Recorded(0)) }

// Hold makes billing-profile reads wait until the returned func is called.
func (e *CustomerCalls) Hold() (release func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	held := make(chan struct{})
	e.held = held
	var once sync.Once
	return func() {
		once.Do(func() {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.held = nil
			close(held)
		})
	}
}

func (e *CustomerCalls) CreateCustomer(ctx context.Context, requestID string, req wire.CustomerCreateRequest) (*wire.Customer, error) {
	e.record("create:" + req.CompanyProfile.Domain)
	return e.External.CreateCustomer(ctx, requestID, req)
}

func (e *CustomerCalls) CheckDomainAvailable(ctx context.Context, domain string) (bool, error) {
	e.record("create:" + domain)
	return e.External.CheckDomainAvailable(ctx, domain)
}

func (e *CustomerCalls) GetBillingProfile(ctx context.Context, customerID string) (*wire.BillingProfile, error) {
	e.record(customerID)
	e.mu.Lock()
	held := e.held
	e.mu.Unlock()
	if held != nil {
		select {
		case <-held:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return e.External.GetBillingProfile(ctx, customerID)
}
