#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# sshd 9.2 on 127.0.0.1 with pam_mtls: public keys from mtls-ssh-keys
# (AuthorizedKeysCommand), and keyboard-interactive proof of possession
# answered by mtls-sign through SSH_ASKPASS.  sshd runs in a private mount
# namespace with its own /run, its own /dev/log (socat writes what the
# module logs to a file), and copies of passwd/group/shadow that hold the
# test users; the CRL is replaced mid-test to revoke one certificate.
. "$MTLS_SRCDIR/tests/lib.sh"
. "$MTLS_SRCDIR/tests/slapd.sh"	# free_port, wait_port
SSHD_PID=
W=$WORK/sshd
trap '[ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null
	[ -s "$W/socat.pid" ] && kill "$(cat "$W/socat.pid")" 2>/dev/null
	wait 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
mkdir -p "$W"/{home/alice,home/bob,certs,xdg}

# Accounts sshd can log in to (only inside its namespace).
cp /etc/passwd /etc/group /etc/shadow "$W/"
printf 'alice:x:4101:4101::%s:/bin/sh\nbob:x:4102:4102::%s:/bin/sh\n' \
	"$W/home/alice" "$W/home/bob" >> "$W/passwd"
printf 'alice:x:4101:\nbob:x:4102:\n' >> "$W/group"
printf 'alice:*:19000:0:99999:7:::\nbob:*:19000:0:99999:7:::\n' >> "$W/shadow"
chown 4101:4101 "$W/home/alice"
chown 4102:4102 "$W/home/bob"

# Trust material readable by AuthorizedKeysCommandUser (nobody).
cp "$PKI/ca.pem" "$PKI/chain.pem" "$W/"
cp "$PKI/crl.pem" "$W/crl-live.pem"
cp "$PKI/late-revoked.pem" "$W/certs/alice.pem"	# CN=alice
cp "$PKI/good-ec.pem" "$W/certs/bob.pem"		# CN=bob
chmod -R go+rX "$W"
for k in late-revoked good-ec; do install -m 600 "$PKI/$k.key" "$W/$k.key"; done
write_config "$W/mtls.conf" <<CONF
ca_file = $W/ca.pem
intermediates_file = $W/chain.pem
crl_file = $W/crl-live.pem
ssh_cert_dir = $W/certs
map = by_cn
[map by_cn]
source = cn
lookup = local
CONF
# sshd's PAM child clears its environment, so pam_wrapper would lose its
# settings there: sshd gets the real libpam and a private /etc/pam.d.
# The shipped file verbatim, only the module and config paths substituted,
# with the system's common-account and common-session it includes.
mkdir -p "$W/pam.d"
cp /etc/pam.d/common-account /etc/pam.d/common-session "$W/pam.d/"
sed -e "s|pam_mtls\.so|$MODULE|" -e "s|config=/etc/security/mtls\.conf|config=$W/mtls.conf|" \
	"$MTLS_SRCDIR/conf/pam.d/sshd-mtls" > "$W/pam.d/sshd-test"
is "$(diff "$MTLS_SRCDIR/conf/pam.d/sshd-mtls" "$W/pam.d/sshd-test" | grep -c '^>')" 2 \
	"the PAM service is conf/pam.d/sshd-mtls with two paths substituted"

# mtls-ssh-keys -> key lines for alice (one certificate, valid today).
# Outside sshd's namespace the test users come from nss_wrapper.
keys() {
	env LD_PRELOAD=libnss_wrapper.so NSS_WRAPPER_PASSWD="$W/passwd" \
		NSS_WRAPPER_GROUP="$W/group" "$MTLS_BUILDDIR/mtls-ssh-keys" \
		--config "$W/mtls.conf" "$@"
}
out=$(keys alice 2>&1)
like "$out" "^ecdsa-sha2-nistp256 AAAA[A-Za-z0-9+/=]+ mtls:[0-9a-f]{16}$" "mtls-ssh-keys prints an OpenSSH key for a valid certificate"
echo "$out" > "$W/alice.pub"
openssl x509 -in "$PKI/late-revoked.pem" -pubkey -noout | ssh-keygen -i -m PKCS8 -f /dev/stdin > "$W/ref.pub"
is "$(ssh-keygen -l -f "$W/alice.pub" | awk '{print $2}')" "$(ssh-keygen -l -f "$W/ref.pub" | awk '{print $2}')" \
	"the key line is the certificate's key (same fingerprint as ssh-keygen -i)"
cp "$PKI/good-rsa.pem" "$W/certs/alice.pem"
like "$(keys alice 2>/dev/null)" "^ssh-rsa AAAAB3NzaC1yc2E" "RSA certificates give ssh-rsa keys"
printf 'carol:x:4103:4103::/:/bin/sh\n' >> "$W/passwd"
cp "$PKI/good-ed25519.pem" "$W/certs/carol.pem"
like "$(keys carol 2>/dev/null)" "^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5" "Ed25519 certificates give ssh-ed25519 keys"
cp "$PKI/good-ec.pem" "$W/certs/alice.pem"	# CN=bob in alice's file
out=$(keys alice 2>&1 >/dev/null)
like "$out" "omitted: .*reason=MTLS_E_USER_MISMATCH" "a certificate that maps to another user is omitted, with a log line"
cp "$PKI/late-revoked.pem" "$W/certs/alice.pem"
keys '../etc/passwd' >/dev/null 2>&1
is "$?" 1 "a user name with a path in it is refused"

# sshd under its PAM service name sshd-test, in its own mount namespace.
PORT=$(free_port)
ssh-keygen -q -t ed25519 -N '' -f "$W/hostkey"
ln -s "$(command -v sshd)" "$W/sshd-test"
printf '#!/bin/sh\nexec /run/mtls/mtls-ssh-keys --config %s "$1"\n' "$W/mtls.conf" > "$W/keys-cmd"
cat > "$W/sshd_config" <<CONF
Port $PORT
ListenAddress 127.0.0.1
HostKey $W/hostkey
PidFile none
UsePAM yes
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication yes
AuthorizedKeysFile none
AuthorizedKeysCommand /run/mtls/keys-cmd %u
AuthorizedKeysCommandUser nobody
StrictModes no
LogLevel VERBOSE
CONF
# sshd is not ours: its own exit-time allocations are not leaks to report
# (ASan still catches memory errors in our module inside it).
env LD_PRELOAD="$SAN_PRELOAD" ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0 \
	unshare -m sh -c '
	W=$0
	# A private /dev holding the host nodes sshd needs, and a /dev/log.
	mkdir -p "$W/hostdev" && mount --rbind /dev "$W/hostdev" &&
	mount -t tmpfs -o mode=755 tmpfs /dev &&
	for n in null zero full random urandom tty; do
		touch "/dev/$n" && mount --bind "$W/hostdev/$n" "/dev/$n" || exit 1
	done &&
	mkdir /dev/pts && mount --bind "$W/hostdev/pts" /dev/pts &&
	ln -s pts/ptmx /dev/ptmx && ln -s /proc/self/fd /dev/fd &&
	{ socat -u UNIX-RECV:/dev/log,mode=666 "OPEN:$W/syslog.log,creat,append" &
	  echo $! > "$W/socat.pid"; } &&
	mount -t tmpfs -o mode=755 tmpfs /run && mkdir -p /run/sshd /run/mtls &&
	install -m 755 "$W/keys-cmd" /run/mtls/keys-cmd &&
	install -m 755 "$1" /run/mtls/mtls-ssh-keys &&
	mount --bind "$W/passwd" /etc/passwd && mount --bind "$W/group" /etc/group &&
	mount --bind "$W/shadow" /etc/shadow && mount --bind "$W/pam.d" /etc/pam.d &&
	exec "$W/sshd-test" -D -e -f "$W/sshd_config"' "$W" "$MTLS_BUILDDIR/mtls-ssh-keys" \
	>"$W/sshd.log" 2>&1 &
SSHD_PID=$!
wait_port "$PORT" || { not_ok "sshd starts: $(tail -5 "$W/sshd.log")"; done_testing; }
ok "sshd listens on 127.0.0.1:$PORT"

SSH=(ssh -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
	-o LogLevel=ERROR -o ConnectTimeout=10 -p "$PORT")
pubkey() { # pubkey USER KEY -> prints the remote user name
	"${SSH[@]}" -o BatchMode=yes -o IdentitiesOnly=yes \
		-o PreferredAuthentications=publickey -i "$W/$2.key" "$1@127.0.0.1" id -un 2>&1 </dev/null
}
kbdint() { # kbdint USER CERT [ALIAS] -> answers the challenge with mtls-sign
	# --chunk 1000: OpenSSH keeps only 1023 bytes of an askpass answer.
	# HostKeyAlias: ssh names the host so in the "(user@host) " askpass
	# prefix, which mtls-sign checks against the challenge's host (the
	# machine's hostname) -- we connect to 127.0.0.1.
	printf '#!/bin/sh\nexec %s --chunk 1000 --cert %s --key %s "$1"\n' "$MTLS_BUILDDIR/mtls-sign" \
		"$PKI/$2.pem" "$W/$2.key" > "$W/askpass"
	chmod 755 "$W/askpass"
	env SSH_ASKPASS="$W/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=none \
		XDG_RUNTIME_DIR="$W/xdg" \
		"${SSH[@]}" -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1 \
		-o HostKeyAlias="${3:-$(hostname)}" \
		-o PreferredAuthentications=keyboard-interactive "$1@127.0.0.1" id -un 2>&1 </dev/null
}

is "$(pubkey alice late-revoked)" alice "public key of a valid certificate: logged in as alice"
is "$(kbdint bob good-ec)" bob "keyboard-interactive, answered by mtls-sign: logged in as bob"
like "$(cat "$W/syslog.log")" "auth service=sshd-test result=accept reason=MTLS_OK user=\"bob\"" "pam_mtls in sshd logged the challenge login to syslog"
is "$(grep -c "pam_setcred()" "$W/sshd.log")" 0 "sshd's pam_setcred passes after a challenge login in its auth child"

# Revoke alice's certificate: publish the next CRL.
cp "$PKI/crl-later.pem" "$W/crl-new.pem" && mv "$W/crl-new.pem" "$W/crl-live.pem"
like "$(pubkey alice late-revoked)" "Permission denied" "after revocation, the same public key is refused"
like "$(kbdint alice late-revoked)" "Permission denied" "after revocation, a valid signature by the revoked certificate is refused"
like "$(cat "$W/syslog.log")" "auth service=sshd-test result=refuse reason=MTLS_E_REVOKED .*CN=alice" "pam_mtls logged MTLS_E_REVOKED for the keyboard-interactive attempt"
like "$(cat "$W/sshd.log")" "omitted: .*reason=MTLS_E_REVOKED" "mtls-ssh-keys logged why the public key was omitted"
like "$(kbdint alice good-ec)" "Permission denied" "a certificate for bob cannot log in as alice"
like "$(cat "$W/syslog.log")" "reason=MTLS_E_USER_MISMATCH" "pam_mtls logged MTLS_E_USER_MISMATCH"

# Ed25519 at the prompt: the "mtls-sig v1" answer (CMS cannot sign EdDSA).
install -m 600 "$PKI/good-ed25519.key" "$W/good-ed25519.key"	# CN=carol
# carol is in passwd since the key tests; complete her for pam_unix.
printf 'carol:x:4103:\n' >> "$W/group"
printf 'carol:*:19000:0:99999:7:::\n' >> "$W/shadow"
is "$(kbdint carol good-ed25519)" carol "keyboard-interactive with an Ed25519 certificate: logged in as carol"
# Relay: the askpass prompt names another host than the challenge does.
out=$(kbdint bob good-ec relay.example 2>&1)
like "$out" "mtls-sign: refused: the challenge is for host .*, but you are connecting to relay.example" "mtls-sign refuses a challenge for another host than the one ssh connects to"
like "$out" "Permission denied" "... and the login fails"
done_testing
