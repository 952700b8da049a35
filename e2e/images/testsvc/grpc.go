package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// startGRPCHealth serves only grpc.health.v1, which is what kubelet's grpc probe and our client check.
func startGRPCHealth(l net.Listener, fail chan<- error) func(context.Context) {
	srv := grpc.NewServer()
	hs := health.NewServer()
	hs.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(srv, hs)
	go func() {
		if err := srv.Serve(l); err != nil {
			fail <- err
		}
	}()
	return func(ctx context.Context) {
		hs.Shutdown() // watchers see NOT_SERVING before the connection goes away
		done := make(chan struct{})
		go func() { srv.GracefulStop(); close(done) }()
		select {
		case <-done:
		case <-ctx.Done():
			srv.Stop()
		}
	}
}

func cmdGRPCHealth(args []string) int {
	fs := flag.NewFlagSet("grpc-health", flag.ContinueOnError)
	timeout := fs.Duration("timeout", 3*time.Second, "overall deadline")
	service := fs.String("service", "", "health service name (empty = whole server)")
	addr, ok := parseTarget("grpc-health", fs, args)
	if !ok {
		return exitError
	}
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return reportErr(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{Service: *service})
	if err != nil {
		// gRPC flattens transport errors into status codes; map them back to our convention.
		switch status.Code(err) {
		case codes.DeadlineExceeded:
			fmt.Printf("timeout: %v\n", err)
			return exitConnect
		case codes.Unavailable:
			fmt.Printf("refused: %v\n", err)
			return exitConnect
		default:
			fmt.Printf("error: %v\n", err)
			return exitError
		}
	}
	st := resp.GetStatus().String()
	if resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		fmt.Printf("status %s\n", st)
		return exitError
	}
	fmt.Printf("ok %s\n", st)
	return exitOK
}
