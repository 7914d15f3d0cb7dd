; A fragment that includes a file that is not there.
$INCLUDE no-such-file.key
