# Shared by t/04NN-zmerge-dnskey-*.bats: each test runs in the tool's
# data directory with the example TLD's keys of A and B named.
zm_setup() {
	cd "$DATA/zmerge-dnskey"
	EX=$DATA/examples
	KSK_B=$EX/Kexample.+013+62651.key
	ZSK_B=$EX/Kexample.+013+48585.key
	KSK_A=$EX/Kexample.+013+05021.key
	ZSK_A=$EX/Kexample.+013+40244.key
}
