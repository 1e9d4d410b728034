// Turns each textarea[data-rich-text-editor] into a rich-text editor.
// The toolbar offers only what core/richtext.py keeps when a body is saved,
// in the admin's language: the strings come from the admin's JavaScript
// catalogue (window.gettext), which the page loads before this module.
const SELECTOR = "textarea[data-rich-text-editor]";

const gettext = (text) => (window.gettext ? window.gettext(text) : text);
const interpolate = (format, values) =>
  window.interpolate ? window.interpolate(format, values) : format.replace("%s", values[0]);

// The schemes core/richtext.py keeps; an address with no scheme is a path on this site.
const SAFE_SCHEMES = ["http", "https", "mailto", "tel"];

/** The scheme of a link's address ("javascript"), or "" for a relative address. */
function schemeOf(href) {
  // Browsers ignore spaces and control characters inside a scheme ("java\tscript:").
  const compact = href.replace(/[\s\u0000-\u001f]/g, "");
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(compact);
  return match ? match[1].toLowerCase() : "";
}

function isSafeHref(href) {
  const scheme = schemeOf(href || "");
  return scheme === "" || SAFE_SCHEMES.includes(scheme);
}

/** Why an address cannot be a link, in the reader's language; "" when it can. */
function linkProblem(href) {
  const scheme = schemeOf(href);
  if (scheme && !SAFE_SCHEMES.includes(scheme)) {
    return interpolate(
      gettext(
        "Links starting with “%s” are not allowed. Use a web address (https://…), an e-mail address (mailto:…) or a telephone number (tel:…).",
      ),
      [`${scheme}:`],
    );
  }
  return "";
}

let dialogCount = 0;

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) node.setAttribute(name, "");
    else if (value !== false && value != null) node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

/**
 * Asks for a link's address and title in a dialog. Resolves to {href, title},
 * to {href: ""} when the link is to be removed, or to null when cancelled.
 * An unsafe address is refused in the dialog, with the reason beside the field.
 */
function linkDialog(instance, current) {
  const id = `link-dialog-${++dialogCount}`;
  return new Promise((resolve) => {
    const href = element("input", {
      id: `${id}-href`,
      name: "href",
      type: "text",
      size: 50,
      autocomplete: "off",
      spellcheck: "false",
      "aria-describedby": `${id}-href-help`,
    });
    href.value = current.href || "";
    const title = element("input", {
      id: `${id}-title`,
      name: "title",
      type: "text",
      size: 50,
      "aria-describedby": `${id}-title-help`,
    });
    title.value = current.title || "";
    const error = element("p", { id: `${id}-error`, class: "link-dialog-error", role: "alert" });
    error.hidden = true;
    const save = element("button", { type: "submit" }, [gettext("Save the link")]);
    const cancel = element("button", { type: "button", value: "cancel" }, [gettext("Cancel")]);
    const buttons = [save, cancel];
    let remove = null;
    if (current.href) {
      remove = element("button", { type: "button", class: "link-dialog-remove" }, [gettext("Remove the link")]);
      buttons.push(remove);
    }
    const form = element("form", { method: "dialog", novalidate: true }, [
      element("h3", { class: "prose-editor-dialog-title", id: `${id}-heading` }, [
        current.href ? gettext("Edit the link") : gettext("Add a link"),
      ]),
      element("div", { class: "prose-editor-dialog-field" }, [
        element("label", { for: href.id }, [gettext("Address")]),
        href,
        element("span", { class: "prose-editor-help", id: `${id}-href-help` }, [
          gettext("A web address (https://…), a page of this site (/en/…), an e-mail address (mailto:…) or a telephone number (tel:…)."),
        ]),
      ]),
      error,
      element("div", { class: "prose-editor-dialog-field" }, [
        element("label", { for: title.id }, [gettext("Title (optional)")]),
        title,
        element("span", { class: "prose-editor-help", id: `${id}-title-help` }, [
          gettext("Shown when the pointer rests on the link. Leave empty unless it adds something."),
        ]),
      ]),
      element("div", { class: "prose-editor-dialog-buttons" }, buttons),
    ]);
    const dialog = element("dialog", { class: "prose-editor-dialog link-dialog", "aria-labelledby": `${id}-heading` }, [
      form,
    ]);
    const holder = element("div", {}, [dialog]);
    instance.view.dom.parentElement.append(holder);

    let answer = null;
    const finish = (value) => {
      answer = value;
      dialog.close();
    };
    dialog.addEventListener("close", () => {
      holder.remove();
      resolve(answer);
    });
    cancel.addEventListener("click", () => finish(null));
    remove?.addEventListener("click", () => finish({ href: "" }));
    href.addEventListener("input", () => {
      if (!error.hidden && !linkProblem(href.value)) {
        error.hidden = true;
        error.textContent = "";
        href.removeAttribute("aria-invalid");
        href.setAttribute("aria-describedby", `${id}-href-help`);
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const address = href.value.trim();
      const problem = linkProblem(address);
      if (problem) {
        error.textContent = problem;
        error.hidden = false;
        href.setAttribute("aria-invalid", "true");
        href.setAttribute("aria-describedby", `${error.id} ${id}-href-help`);
        href.focus();
        return;
      }
      finish({ href: address, title: title.value.trim() });
    });
    dialog.showModal();
    href.focus();
  });
}

function safeLink(editor) {
  return editor.Link.extend({
    addOptions() {
      return {
        ...this.parent?.(),
        // The sanitiser keeps neither target nor rel: no "open in a new window".
        enableTarget: false,
        protocols: [],
        isAllowedUri: (url) => isSafeHref(url),
        HTMLAttributes: { target: null, rel: null, class: null },
      };
    },
    addCommands() {
      return {
        ...this.parent?.(),
        addLink:
          () =>
          ({ editor: instance }) => {
            if (instance.state.selection.empty && !instance.isActive("link")) return false;
            linkDialog(instance, instance.getAttributes("link")).then((attrs) => {
              if (attrs === null) {
                instance.commands.focus();
                return;
              }
              const chain = instance.chain().focus().extendMarkRange("link");
              if (!attrs.href) {
                chain.unsetLink().run();
                return;
              }
              // An empty title is no title: never title="".
              const values = { href: attrs.href, title: attrs.title || null };
              if (instance.isActive("link")) chain.updateAttributes("link", values).run();
              else chain.setMark("link", values).run();
            });
            return true;
          },
      };
    },
  });
}

function tableWithDialog(editor) {
  return editor.Table.extend({
    addCommands() {
      return {
        ...this.parent?.(),
        insertTableWithOptions:
          () =>
          ({ editor: instance }) => {
            const ask = editor.updateAttrsDialog(
              {
                rows: { type: "number", title: gettext("Rows"), format: "number", min: "1", max: "100" },
                cols: { type: "number", title: gettext("Columns"), format: "number", min: "1", max: "100" },
                withHeaderRow: { type: "boolean", title: gettext("The first row holds column headings") },
              },
              { title: gettext("Insert a table"), submitText: gettext("Insert the table") },
            );
            ask(instance, { rows: "3", cols: "3", withHeaderRow: true }).then((attrs) => {
              if (!attrs) return;
              instance
                .chain()
                .focus()
                .insertTable({
                  rows: Number.parseInt(attrs.rows, 10) || 3,
                  cols: Number.parseInt(attrs.cols, 10) || 3,
                  withHeaderRow: attrs.withHeaderRow,
                })
                .run();
            });
            return true;
          },
      };
    },
  });
}

/** The toolbar's labels in the reader's language, by the package's English label. */
function toolbarLabels() {
  return {
    "unordered list": gettext("Bulleted list"),
    "ordered list": gettext("Numbered list"),
    blockquote: gettext("Quotation"),
    paragraph: gettext("Paragraph"),
    Paragraph: gettext("Paragraph"),
    bold: gettext("Bold"),
    italic: gettext("Italic"),
    undo: gettext("Undo"),
    redo: gettext("Redo"),
    "insert link": gettext("Add or edit a link"),
    "remove link": gettext("Remove the link"),
    "Insert table": gettext("Insert a table"),
    "Add column": gettext("Add a column"),
    "Delete column": gettext("Delete the column"),
    "Add row": gettext("Add a row"),
    "Delete row": gettext("Delete the row"),
    "Merge cells": gettext("Merge the cells"),
    "Split cell": gettext("Split the cell"),
    "Toggle header cell": gettext("Heading cell on or off"),
    "Delete table": gettext("Delete the table"),
  };
}

function translatedLabel(labels, english) {
  const heading = /^heading (\d)$/i.exec(english || "");
  if (heading) return interpolate(gettext("Heading %s"), [heading[1]]);
  return labels[english];
}

function relabel(button, labels) {
  const label = translatedLabel(labels, button.getAttribute("title"));
  if (label) {
    button.setAttribute("title", label);
    button.setAttribute("aria-label", label);
  }
}

/** Puts the toolbar (buttons, menu choices, the copies shown as the current choice) in the reader's language. */
function translateToolbar(instance) {
  const labels = toolbarLabels();
  const menu = instance.storage.menu;
  for (const item of Object.values(menu?._definedItems || {})) {
    if (item.button) relabel(item.button, labels);
    if (item.option) {
      const text = translatedLabel(labels, item.option.textContent);
      if (text) item.option.textContent = text;
    }
  }
  for (const button of menu?.dom?.querySelectorAll("button[title]") || []) relabel(button, labels);
}

function createEditor(editor, textarea) {
  const wrapper = document.createElement("div");
  wrapper.className = "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  const instance = new editor.Editor({
    element: wrapper,
    content: textarea.value,
    // Tiptap would add its base styles as an inline <style> element, which
    // the Content-Security-Policy refuses; editor.css carries them instead.
    injectCSS: false,
    editorProps: {
      attributes: {
        role: "textbox",
        "aria-multiline": "true",
        // The language of the text being written, for screen readers and spelling.
        ...(textarea.lang ? { lang: textarea.lang } : {}),
        ...(label ? { "aria-label": label.textContent.replace(/:\s*$/, "") } : {}),
      },
    },
    extensions: [
      editor.Document,
      editor.Paragraph,
      editor.Text,
      editor.HardBreak,
      editor.Dropcursor,
      editor.Gapcursor,
      editor.History,
      editor.Menu,
      editor.Heading.configure({ levels: [2, 3, 4] }),
      editor.Bold,
      editor.Italic,
      editor.BulletList,
      // The sanitiser keeps no list type: no "list properties" dialog.
      editor.OrderedList.configure({ enableListAttributes: false }),
      editor.ListItem,
      editor.Blockquote,
      safeLink(editor),
      tableWithDialog(editor),
      editor.TableRow,
      editor.TableHeader,
      editor.TableCell,
    ],
    onUpdate({ editor: current }) {
      const html = current.getHTML();
      // An empty editor holds one empty paragraph: store an empty body.
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/i.test(html) ? "" : html;
    },
  });
  // Tiptap builds the toolbar once the editor is mounted, which may come later.
  if (instance.storage.menu?.dom) translateToolbar(instance);
  else instance.on("create", () => translateToolbar(instance));
  return instance;
}

async function start() {
  const textareas = [...document.querySelectorAll(SELECTOR)];
  if (textareas.length === 0) return;
  const editor = await import(textareas[0].dataset.richTextEditor);
  for (const textarea of textareas) {
    if (!textarea.closest(".prose-editor")) createEditor(editor, textarea);
  }
}

start();
