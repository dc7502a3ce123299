#!/usr/bin/perl
# Writes the bzip2 test input of tests/real/run.sh to stdout: SIZE bytes
# (the argument, default 4 MiB) of blocks of text-like and binary-ish
# content, the same bytes on every machine. Randomness comes from a 31-bit
# linear congruential generator with a fixed seed (no rand(), whose
# sequence differs between perl builds; no /dev/urandom).
use strict;
use warnings;

my $size = @ARGV ? $ARGV[0] : 4 * 1024 * 1024;
my $x = 20240607;
sub rnd {    # the next value in 0 .. $_[0]-1
  $x = ($x * 1103515245 + 12345) % 2147483648;
  return ($x >> 8) % $_[0];
}

my @words = qw(the of and to in is that for it as was with be by on not he
  this are or his from at which but have an they you were her she there
  been one all we their has would when if so no will more out up into do
  any your what some can only other new time could these two may first
  then well such like over also back after use our just where most know
  compress decompress block sort huffman table wasm module import export
  memory stack frame call return branch loop value index query database);
my @paths = qw(items orders users search static api/v1/items api/v2/orders);

binmode STDOUT;
my $out = '';
my $line = 0;
while (length($out) < $size) {
  my $kind = rnd(6);
  my $len = 2048 + rnd(30000);
  my $block = '';
  if ($kind == 0 || $kind == 1) {      # prose: words, punctuation, lines
    while (length($block) < $len) {
      my $n = 4 + rnd(12);
      my @s = map { $words[rnd(scalar @words)] } 1 .. $n;
      $s[0] = ucfirst $s[0];
      $block .= join(' ', @s) . ('.', ',', ';', '!', '?')[rnd(5)] . (rnd(3) ? ' ' : "\n");
    }
  } elsif ($kind == 2) {               # log lines with numbers
    while (length($block) < $len) {
      $line++;
      $block .= sprintf("2024-%02d-%02d %02d:%02d:%02d %-5s req=%06d path=/%s/%d status=%d bytes=%d\n",
        1 + rnd(12), 1 + rnd(28), rnd(24), rnd(60), rnd(60),
        ('INFO', 'WARN', 'DEBUG', 'ERROR')[rnd(4)], $line,
        $paths[rnd(scalar @paths)], rnd(100000), (200, 200, 200, 304, 404, 500)[rnd(6)], rnd(65536));
    }
  } elsif ($kind == 3) {               # noise: incompressible bytes
    $block = pack('C*', map { rnd(256) } 1 .. $len);
  } elsif ($kind == 4) {               # binary records: counters, small ints, floats
    my $id = rnd(1000000);
    while (length($block) < $len) {
      $block .= pack('NnnCCd<', $id++, rnd(1000), rnd(65536), rnd(4), 0, rnd(100000) / 8);
    }
  } else {                              # runs of one byte, some long (bzip2's RLE)
    while (length($block) < $len) {
      $block .= chr(rnd(256)) x (1 + rnd(rnd(2) ? 8 : 600));
    }
  }
  $out .= $block;
}
print substr($out, 0, $size);
