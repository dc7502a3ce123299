/* bytecode_vm: a small register-and-stack bytecode interpreter running a
 * loop of pseudo-random arithmetic with a data-dependent branch. Its
 * `switch` compiles to a br_table, so wgi interprets an interpreter: one
 * indirect branch per guest instruction, poorly predictable.
 * Freestanding (no libc, no imports); exports int run(void). */
#ifndef VM_ITERS
#define VM_ITERS 4000000
#endif

enum {
    OP_HALT,
    OP_PUSH,   /* imm: push imm */
    OP_LOAD,   /* reg: push r[reg] */
    OP_STORE,  /* reg: r[reg] = pop */
    OP_ADD, OP_SUB, OP_MUL, OP_AND, OP_OR, OP_XOR,
    OP_SHL,    /* imm: top <<= imm */
    OP_SHR,    /* imm: top >>= imm (logical) */
    OP_DEC,    /* reg: r[reg] -= 1 */
    OP_JMP,    /* target */
    OP_JZ,     /* target: if pop == 0 jump */
    OP_JNZ,    /* target: if pop != 0 jump */
    OP_DUP,
    OP_SWAP,
};

/* r0: counter, r1: LCG state, r2: sum, r3: scratch.
 *   loop: r1 = r1 * 1103515245 + 12345
 *         r3 = (r1 >> 16) & 0x7fff
 *         if (r3 & 1) r2 = r2 + r3  else  r2 = r2 ^ (r3 << 3)
 *         r2 = (r2 << 1) | (r2 >> 31)          (rotate)
 *         if (--r0 != 0) goto loop                              */
static const int program[] = {
    /*  0 */ OP_LOAD, 1, OP_PUSH, 1103515245, OP_MUL, OP_PUSH, 12345, OP_ADD,
    /*  8 */ OP_DUP, OP_STORE, 1,
    /* 11 */ OP_SHR, 16, OP_PUSH, 0x7fff, OP_AND, OP_DUP, OP_STORE, 3,
    /* 19 */ OP_PUSH, 1, OP_AND, OP_JZ, 33,
    /* 24 */ OP_LOAD, 2, OP_LOAD, 3, OP_ADD, OP_STORE, 2, OP_JMP, 42,
    /* 33 */ OP_LOAD, 3, OP_SHL, 3, OP_LOAD, 2, OP_XOR, OP_STORE, 2,
    /* 42 */ OP_LOAD, 2, OP_DUP, OP_SHL, 1, OP_SWAP, OP_SHR, 31, OP_OR, OP_STORE, 2,
    /* 53 */ OP_DEC, 0, OP_LOAD, 0, OP_JNZ, 0,
    /* 59 */ OP_LOAD, 2, OP_HALT,
};

/* Runs `code` with registers `r`; returns the value on top of the stack at
 * OP_HALT. */
__attribute__((noinline)) static unsigned execute(const int *code, unsigned *r)
{
    unsigned stack[16];
    int sp = 0;  /* stack[sp - 1] is the top */
    int pc = 0;
    for (;;) {
        int op = code[pc++];
        switch (op) {
        case OP_HALT: return stack[sp - 1];
        case OP_PUSH: stack[sp++] = (unsigned)code[pc++]; break;
        case OP_LOAD: stack[sp++] = r[code[pc++]]; break;
        case OP_STORE: r[code[pc++]] = stack[--sp]; break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case OP_OR: sp--; stack[sp - 1] |= stack[sp]; break;
        case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case OP_SHL: stack[sp - 1] <<= code[pc++]; break;
        case OP_SHR: stack[sp - 1] >>= code[pc++]; break;
        case OP_DEC: r[code[pc++]] -= 1; break;
        case OP_JMP: pc = code[pc]; break;
        case OP_JZ: pc = stack[--sp] == 0 ? code[pc] : pc + 1; break;
        case OP_JNZ: pc = stack[--sp] != 0 ? code[pc] : pc + 1; break;
        case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case OP_SWAP: { unsigned t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
        default: return 0xdeadu;  /* not reached with a well-formed program */
        }
    }
}

int run(void)
{
    unsigned r[4] = {VM_ITERS, 42u, 0u, 0u};
    unsigned result = execute(program, r);
    return (int)((result ^ r[1]) & 0x7fffffff);
}
